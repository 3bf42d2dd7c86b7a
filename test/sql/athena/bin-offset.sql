SELECT bin_1h AS "bin(1h)",
  n
FROM (
  SELECT date_add('millisecond', 1800000, date_trunc('hour', date_add('millisecond', -1800000, from_iso8601_timestamp(eventtime)))) AS bin_1h,
    count(*) AS n
  FROM cloudtrail_logs
  GROUP BY date_add('millisecond', 1800000, date_trunc('hour', date_add('millisecond', -1800000, from_iso8601_timestamp(eventtime))))
) AS s
ORDER BY bin_1h ASC NULLS LAST
