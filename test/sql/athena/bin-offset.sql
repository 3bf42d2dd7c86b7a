SELECT bin_1h AS "bin(1h)",
  n
FROM (
  SELECT date_add('millisecond', 1800000, date_trunc('hour', date_add('millisecond', -1800000, from_iso8601_timestamp(eventtime)))) AS bin_1h,
    count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY date_add('millisecond', 1800000, date_trunc('hour', date_add('millisecond', -1800000, from_iso8601_timestamp(eventtime))))
) AS s
ORDER BY bin_1h ASC NULLS LAST
