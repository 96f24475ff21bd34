-- Every request around a moment of interest, in order.
SELECT
    ts,
    local_ts,
    person,
    person_name,
    device_or_client AS device,
    client,
    user_name,
    method,
    url,
    domain,
    category,
    status,
    bytes,
    blocked,
    result
FROM filtered
WHERE ts >= :window_start AND ts <= :window_end
ORDER BY ts ASC, client ASC NULLS LAST, url ASC NULLS LAST, user_name ASC NULLS LAST,
    method ASC NULLS LAST, status ASC NULLS LAST, bytes ASC NULLS LAST, result ASC NULLS LAST,
    person ASC NULLS LAST
LIMIT :row_limit
