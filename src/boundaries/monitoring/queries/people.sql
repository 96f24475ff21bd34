-- Requests per person (people matched by user name or by their own device).
SELECT
    person,
    MAX(person_name) AS person_name,
    COUNT(*) AS requests,
    SUM(CASE WHEN social THEN 1 ELSE 0 END) AS social_requests,
    SUM(CASE WHEN blocked THEN 1 ELSE 0 END) AS blocked_requests,
    SUM(COALESCE(bytes, 0)) AS bytes,
    COUNT(DISTINCT domain) AS domains,
    MIN(ts) AS first_at,
    MAX(ts) AS last_at
FROM filtered
GROUP BY person
ORDER BY requests DESC, person ASC NULLS LAST
LIMIT :row_limit
