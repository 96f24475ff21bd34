-- Requests per category (NULL: in no list).
SELECT
    category,
    COUNT(*) AS requests,
    COUNT(DISTINCT person) AS people,
    COUNT(DISTINCT domain) AS domains,
    SUM(CASE WHEN blocked THEN 1 ELSE 0 END) AS blocked_requests,
    SUM(COALESCE(bytes, 0)) AS bytes
FROM filtered
GROUP BY category
ORDER BY requests DESC, category ASC NULLS LAST
LIMIT :row_limit
