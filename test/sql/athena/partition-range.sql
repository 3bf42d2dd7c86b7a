SELECT useridentity_username AS "userIdentity.userName",
  logins
FROM (
  SELECT useridentity.username AS useridentity_username,
    count(*) AS logins
  FROM cloudtrail_logs
  WHERE "timestamp" BETWEEN '2026/11/01' AND '2026/11/04'
    AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('2026-11-01T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-03T23:30:00.000Z')
    AND eventname = 'ConsoleLogin'
  GROUP BY useridentity.username
) AS s
