"""File storage up/download: the local disk against an S3-compatible server (run on demand).

    .venv/bin/python bench/storage_s3.py [--files 500] [--endpoint http://minio:9000 --bucket b]

Without --endpoint it starts moto in server mode on a free local port (a real HTTP S3 API, no
network latency: the figures are the client's and the app's cost, not a cloud's). Times, with
the project's own code paths: `store_atomically` of N payslip-sized files (12 KiB) and of one
20 MB import file, then reading them back as the download views do (`stored_file_response`
streams from the bucket). Prints files/s and MB/s for each.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrops.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("LOG_LEVEL", "WARNING")

parser = argparse.ArgumentParser()
parser.add_argument("--files", type=int, default=500)
parser.add_argument("--endpoint", default="")
parser.add_argument("--bucket", default="hrops-bench")
args = parser.parse_args()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.db.models.fields.files import FieldFile  # noqa: E402

endpoint = args.endpoint
if not endpoint:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

import boto3  # noqa: E402

boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
    Bucket=args.bucket)
BACKENDS = {
    "local disk": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": tempfile.mkdtemp(prefix="hrops-bench-storage-")}},
    "S3 (moto)" if not args.endpoint else "S3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": args.bucket, "endpoint_url": endpoint,
                    "region_name": "us-east-1", "default_acl": None, "file_overwrite": True}},
}

from delivery.files import store_atomically  # noqa: E402
from hrops.downloads import stored_file_response  # noqa: E402

small = os.urandom(12 * 1024)
big = os.urandom(20 * 1024 * 1024)


class _Holder:
    pass


class _Field:
    """What a FieldFile needs of its model field: the storage it reads."""

    @property
    def storage(self):
        from django.core.files.storage import default_storage

        return default_storage


def timed(label: str, count: int, size: int, work) -> None:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"  {label:28s} {seconds:7.2f} s  {count / seconds:8.1f} files/s  "
          f"{count * size / seconds / 2**20:7.1f} MB/s")


for name, config in BACKENDS.items():
    settings.STORAGES = {**settings.STORAGES, "default": config}
    storages._storages.clear()
    from django.core.files.storage import default_storage

    default_storage._wrapped = storages["default"]
    print(name)
    names = [f"bench/payslip-{i}.pdf" for i in range(args.files)]
    timed(f"upload {args.files} x 12 KiB", args.files, len(small),
          lambda names=names: [store_atomically(n, small) for n in names])
    timed("upload 1 x 20 MB", 1, len(big), lambda: store_atomically("bench/import.csv", big))

    def download(paths):
        for path in paths:
            field = FieldFile(_Holder(), _Field(), path)
            response = stored_file_response(field, filename="x")
            for _chunk in response.streaming_content:
                pass

    timed(f"download {args.files} x 12 KiB", args.files, len(small),
          lambda names=names: download(names))
    timed("download 1 x 20 MB", 1, len(big), lambda: download(["bench/import.csv"]))
