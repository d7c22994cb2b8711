"""Parses Prometheus text exposition with the Prometheus project's own Python client (Debian's python3-prometheus-client).

Reads the text on stdin; prints one JSON list: each sample with its family's name and type, its own name, labels and value.
A malformed exposition fails here, as it would fail a Prometheus scrape.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        samples.append({"family": family.name, "type": family.type, "name": sample.name, "labels": sample.labels, "value": sample.value})
print(json.dumps(samples))
