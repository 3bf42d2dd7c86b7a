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
    CASE WHEN count(CASE WHEN (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) IS NULL THEN eventtime END) > 0 THEN min(CASE WHEN (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) IS NULL THEN eventtime END) ELSE min_by(eventtime, (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END)) END AS "first",
    CASE WHEN count((CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END)) > 0 THEN max_by(eventtime, (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END)) ELSE max(eventtime) END AS "last",
    stddev_pop(length(eventname)) AS sd,
    element_at(array_sort(array_agg(CAST(length(eventname) AS double)) FILTER (WHERE CAST(length(eventname) AS double) IS NOT NULL)), greatest(1, CAST(ceiling(90 * count(CAST(length(eventname) AS double)) / 100E0 - 1E-9) AS integer))) AS p90,
    min_by(eventname, from_iso8601_timestamp(eventtime)) FILTER (WHERE eventname IS NOT NULL) AS firstcall,
    max_by(eventname, from_iso8601_timestamp(eventtime)) FILTER (WHERE eventname IS NOT NULL) AS lastcall,
    min_by(eventname, ROW(CASE WHEN (CASE WHEN regexp_like(eventname, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventname) AS double) END) IS NULL THEN 0 ELSE 1 END, coalesce((CASE WHEN regexp_like(eventname, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventname) AS double) END), 0), array_join(transform(regexp_extract_all(eventname, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), ''))) FILTER (WHERE eventname IS NOT NULL) AS a,
    max_by(eventname, ROW(CASE WHEN (CASE WHEN regexp_like(eventname, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventname) AS double) END) IS NULL THEN 0 ELSE 1 END, coalesce((CASE WHEN regexp_like(eventname, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventname) AS double) END), 0), array_join(transform(regexp_extract_all(eventname, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), ''))) FILTER (WHERE eventname IS NOT NULL) AS z
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY recipientaccountid
) AS s
