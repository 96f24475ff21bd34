-- Requests per device: the registered device, or the client address when none matches.
SELECT
    device_or_client AS device,
    MAX(CASE WHEN device IS NULL THEN 0 ELSE 1 END) = 1 AS registered,
    MAX(person) AS person,
    COUNT(DISTINCT person) AS people,
    COUNT(*) AS requests,
    SUM(CASE WHEN social THEN 1 ELSE 0 END) AS social_requests,
    SUM(CASE WHEN blocked THEN 1 ELSE 0 END) AS blocked_requests,
    SUM(COALESCE(bytes, 0)) AS bytes,
    MIN(ts) AS first_at,
    MAX(ts) AS last_at
FROM filtered
GROUP BY device_or_client
ORDER BY requests DESC, device_or_client ASC NULLS LAST
LIMIT :row_limit
