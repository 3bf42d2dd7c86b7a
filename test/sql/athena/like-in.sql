SELECT eventid AS "eventID",
  errorcode AS "errorCode"
FROM cloudtrail_logs
WHERE (regexp_like(errorcode, 'AccessDenied|Unauthorized') OR (strpos(useragent, 'aws-cli') > 0))
  AND awsregion IN ('us-east-1', 'eu-west-1')
  AND NOT coalesce((eventname IN ('ConsoleLogin')), false)
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
