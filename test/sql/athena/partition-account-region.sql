SELECT recipientaccountid AS "recipientAccountId",
  awsregion AS "awsRegion",
  n
FROM (
  SELECT recipientaccountid AS recipientaccountid,
    awsregion AS awsregion,
    count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
      WHERE "timestamp" BETWEEN '2026/11/02' AND '2026/11/02'
        AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('2026-11-02T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-02T12:00:00.000Z')
        AND account IN ('111111111111', '222222222222')
        AND coalesce(recipientaccountid, account) IN ('111111111111', '222222222222')
        AND region IN ('us-east-1')
        AND coalesce(awsregion, region) IN ('us-east-1')
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY recipientaccountid, awsregion
) AS s
