-- Requests in each hour of the day on the school's clock, every hour listed.
SELECT
    h.hour,
    COUNT(f.hour) AS requests,
    COALESCE(SUM(CASE WHEN f.social THEN 1 ELSE 0 END), 0) AS social_requests,
    COALESCE(SUM(CASE WHEN f.blocked THEN 1 ELSE 0 END), 0) AS blocked_requests,
    COUNT(DISTINCT f.person) AS people
FROM (
    VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14),
        (15), (16), (17), (18), (19), (20), (21), (22), (23)
) AS h(hour)
LEFT JOIN filtered AS f ON f.hour = h.hour
GROUP BY h.hour
ORDER BY h.hour
