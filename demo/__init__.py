"""Demo and benchmark data, made up and reproducible (`manage.py seed_demo`).

`allima` builds the demo cooperative from `register` (families, plots,
certificates, inspections) and `trade` (deliveries, lots, shipments);
`national` loads many cooperatives fast for benchmarks.
"""
