SELECT week,
  day,
  n
FROM (
  SELECT date_trunc('week', from_iso8601_timestamp(eventtime)) AS week,
    from_unixtime(ceiling(to_unixtime(from_iso8601_timestamp(eventtime)) / 86400) * 86400) AS day,
    count(*) AS n
  FROM cloudtrail_logs
  GROUP BY date_trunc('week', from_iso8601_timestamp(eventtime)), from_unixtime(ceiling(to_unixtime(from_iso8601_timestamp(eventtime)) / 86400) * 86400)
) AS s
ORDER BY week ASC NULLS LAST,
  day ASC NULLS LAST
