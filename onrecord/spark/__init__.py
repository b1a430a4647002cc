"""onrecord on Apache Spark: a corpus extracted to Parquet, copies found across it, and
the result loaded into the store.

    session.py   the Spark session (pyspark and Java checked, local runs retry tasks)
    files.py     Hadoop FileSystem operations: listing, renames, small files
    inputs.py    the input files of a run, with size and modification time
    worker.py    inside the Python workers: one file per task, the pipeline loaded once
    tables.py    the Parquet tables' schemas and rows
    commits.py   rounds committed whole: resumable, idempotent output
    extract.py   ``onrecord spark extract``: the run, round by round
    copies.py    near-duplicate and spun copies across the output, with Spark
    load.py      a run's Parquet into the store (``onrecord ingest DIR``)

pyspark is optional (``pip install 'onrecord[spark]'``): nothing here is imported by the
rest of onrecord, and this package imports pyspark only inside what runs on Spark.
"""
