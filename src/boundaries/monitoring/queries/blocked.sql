-- Requests the proxy or filter refused, by person, device and site.
SELECT
    person,
    MAX(person_name) AS person_name,
    device_or_client AS device,
    domain,
    MAX(category) AS category,
    COUNT(*) AS attempts,
    MIN(ts) AS first_at,
    MAX(ts) AS last_at
FROM filtered
WHERE blocked
GROUP BY person, device_or_client, domain
ORDER BY attempts DESC, person ASC NULLS LAST, device_or_client ASC NULLS LAST, domain ASC NULLS LAST
LIMIT :row_limit
