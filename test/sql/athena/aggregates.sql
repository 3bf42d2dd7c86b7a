SELECT recipientaccountid AS "recipientAccountId",
  n,
  errors,
  ips,
  reads,
  avglen AS "avgLen",
  "first",
  "last",
  sd,
  p90,
  firstcall AS "firstCall",
  lastcall AS "lastCall",
  a,
  z
FROM (
  SELECT recipientaccountid AS recipientaccountid,
    count(*) AS n,
    count(errorcode) AS errors,
    count(DISTINCT sourceipaddress) AS ips,
    sum(CAST((readonly = 'true') AS integer)) AS reads,
    avg(length(eventname)) AS avglen,
    min(eventtime) AS "first",
    max(eventtime) AS "last",
    stddev_pop(length(eventname)) AS sd,
    element_at(array_sort(array_agg(CAST(length(eventname) AS double)) FILTER (WHERE CAST(length(eventname) AS double) IS NOT NULL)), greatest(1, CAST(ceiling(90 / 100E0 * count(CAST(length(eventname) AS double))) AS integer))) AS p90,
    min_by(eventname, from_iso8601_timestamp(eventtime)) FILTER (WHERE eventname IS NOT NULL) AS firstcall,
    max_by(eventname, from_iso8601_timestamp(eventtime)) FILTER (WHERE eventname IS NOT NULL) AS lastcall,
    min_by(eventname, ROW(CASE WHEN try_cast(eventname AS double) IS NULL THEN 0 ELSE 1 END, coalesce(try_cast(eventname AS double), 0), array_join(transform(regexp_extract_all(eventname, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), ''))) FILTER (WHERE eventname IS NOT NULL) AS a,
    max_by(eventname, ROW(CASE WHEN try_cast(eventname AS double) IS NULL THEN 0 ELSE 1 END, coalesce(try_cast(eventname AS double), 0), array_join(transform(regexp_extract_all(eventname, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), ''))) FILTER (WHERE eventname IS NOT NULL) AS z
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE eventid IS NULL OR copy_number = 1
  ) AS events
  GROUP BY recipientaccountid
) AS s
