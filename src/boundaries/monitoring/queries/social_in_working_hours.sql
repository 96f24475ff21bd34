-- Social networking (section 3) on weekdays within working hours, on the school's clock.
SELECT
    person,
    MAX(person_name) AS person_name,
    device_or_client AS device,
    domain,
    COUNT(*) AS requests,
    SUM(CASE WHEN blocked THEN 1 ELSE 0 END) AS blocked_requests,
    MIN(ts) AS first_at,
    MAX(ts) AS last_at
FROM filtered
WHERE social AND weekday <= 5 AND hour >= :work_start AND hour < :work_end
GROUP BY person, device_or_client, domain
ORDER BY requests DESC, person ASC NULLS LAST, device_or_client ASC NULLS LAST, domain ASC NULLS LAST
LIMIT :row_limit
