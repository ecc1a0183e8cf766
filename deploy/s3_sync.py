"""Copy a bucket to a folder or back (backup.sh, restore.sh), with the S3_* variables."""

import os
import sys
from pathlib import Path

import boto3


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("S3_REGION") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID"),
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY"),
    )


def download(bucket, folder):
    s3 = client()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            path = Path(folder) / item["Key"]
            path.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(path))


def upload(bucket, folder):
    s3 = client()
    root = Path(folder)
    for path in root.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), bucket, path.relative_to(root).as_posix())


if __name__ == "__main__":
    action, bucket, folder = sys.argv[1:4]
    {"download": download, "upload": upload}[action](bucket, folder)
