SELECT eventid AS "eventID",
  errorcode AS "errorCode"
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
WHERE (regexp_like(errorcode, 'AccessDenied|Unauthorized') OR (strpos(useragent, 'aws-cli') > 0))
  AND awsregion IN ('us-east-1', 'eu-west-1')
  AND NOT coalesce((eventname IN ('ConsoleLogin')), false)
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
