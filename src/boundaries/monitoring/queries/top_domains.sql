-- The most requested sites (registered domains).
SELECT
    domain,
    MAX(category) AS category,
    MAX(CASE WHEN social THEN 1 ELSE 0 END) = 1 AS social,
    COUNT(*) AS requests,
    COUNT(DISTINCT person) AS people,
    COUNT(DISTINCT device_or_client) AS devices,
    SUM(CASE WHEN blocked THEN 1 ELSE 0 END) AS blocked_requests,
    SUM(COALESCE(bytes, 0)) AS bytes
FROM filtered
GROUP BY domain
ORDER BY requests DESC, domain ASC NULLS LAST
LIMIT :row_limit
