"""A real S3-compatible server for the object-storage tests: moto's server mode (the
``moto[server]`` package), in a process of its own on a free port."""

import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

BUCKET = "civic-media"
CREDENTIALS = {"aws_access_key_id": "civic-test", "aws_secret_access_key": "civic-test-secret"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail("moto's S3 server did not start")
                time.sleep(0.3)
        self.client = boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", **CREDENTIALS
        )
        self.client.create_bucket(Bucket=BUCKET)

    def storage_settings(self):
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": self.endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "addressing_style": "path",
            },
        }

    def keys(self):
        listed = self.client.list_objects_v2(Bucket=BUCKET)
        return [item["Key"] for item in listed.get("Contents", [])]

    def stop(self):
        self.process.terminate()
        self.process.wait(20)
