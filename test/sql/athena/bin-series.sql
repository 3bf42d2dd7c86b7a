SELECT bin_1h AS "bin(1h)",
  errorcode AS "errorCode",
  errors
FROM (
  SELECT date_trunc('hour', from_iso8601_timestamp(eventtime)) AS bin_1h,
    errorcode AS errorcode,
    count(*) AS errors
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  WHERE errorcode IS NOT NULL
  GROUP BY date_trunc('hour', from_iso8601_timestamp(eventtime)), errorcode
) AS s
ORDER BY bin_1h ASC NULLS LAST
