-- Every request with what the lookup tables say about it: category, device and person.
-- A user name names its person; otherwise the device's person, unless the device is shared.
SELECT
    e.ts, e.local_ts, e.day, e.hour, e.weekday,
    e.client, e.client_host, e.user_name, e.method, e.url, e.host,
    e.status, e.bytes, e.elapsed_ms, e.result, e.blocked, e.provider_category, e.format,
    COALESCE(h.domain, e.host) AS domain,
    COALESCE(u.category, h.category) AS category,
    COALESCE(u.social, h.social, FALSE) AS social,
    COALESCE(a1.device, a2.device) AS device,
    COALESCE(a1.device, a2.device, e.client) AS device_or_client,
    COALESCE(p.person, a1.person, a2.person) AS person,
    COALESCE(p.person_name, a1.person_name, a2.person_name) AS person_name
FROM events AS e
LEFT JOIN hosts AS h ON h.host = e.host
LEFT JOIN urls AS u ON u.url = e.url
LEFT JOIN addresses AS a1 ON a1.address = e.client
LEFT JOIN addresses AS a2 ON a2.address = e.client_host
LEFT JOIN users AS p ON p.user_name = e.user_name
WHERE e.ts IS NOT NULL
