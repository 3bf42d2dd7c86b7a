SELECT week,
  day,
  n
FROM (
  SELECT date_trunc('week', from_iso8601_timestamp(eventtime)) AS week,
    from_unixtime(ceiling(to_unixtime(from_iso8601_timestamp(eventtime)) / 86400) * 86400) AS day,
    count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY date_trunc('week', from_iso8601_timestamp(eventtime)), from_unixtime(ceiling(to_unixtime(from_iso8601_timestamp(eventtime)) / 86400) * 86400)
) AS s
ORDER BY week ASC NULLS LAST,
  day ASC NULLS LAST
