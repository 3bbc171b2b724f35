"""`rustscout portfolio`: many repositories scanned as tasks on Dask distributed, merged
into one ranking, incremental by repository head. Read flow.py first.

- sources: SOURCE arguments and --list files -> named Sources
- flow: heads, kept results, the cluster, the merge, in order
- cluster: Dask (the only module that imports it); runner: the task; job: the process a
  task starts for one repository (clone, scan, hashes); scan: the one call into the scan;
  memory: a process's own peak memory
- fingerprints: content hashes of candidates; merge + document: the portfolio document
  (schema: analyzer/schema/portfolio.schema.json); store: results kept between runs
- cli: the command as a function of parsed arguments (outputs checked and written as every
  command does, analyzer.report); html: the portfolio as the HTML report
"""
