"""A component named by a cloud vendor or its hosted service ("S3 bucket", "Azure Cosmos DB", "AWS Lambda")
is a cloud service (element kind ``cloud_service``), in a register's kind column and in an OTM component type;
a plain store stays a data store."""

from __future__ import annotations

import pytest

from mdptm.formats.interchange import kind_by_rules
from mdptm.importers.tabular.vocab import parse_choice, vocabulary


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("AWS", "cloud_service"),
        ("Azure", "cloud_service"),
        ("GCP", "cloud_service"),
        ("S3 bucket", "cloud_service"),
        ("Amazon S3", "cloud_service"),
        ("Cosmos DB", "cloud_service"),
        ("Azure Cosmos DB", "cloud_service"),
        ("Azure SQL Database", "cloud_service"),
        ("Google Cloud Storage", "cloud_service"),
        ("Amazon Web Services", "cloud_service"),
        ("DynamoDB", "cloud_service"),
        ("AWS Lambda", "cloud_service"),
        ("Azure IoT Hub", "cloud_service"),
        ("Database", "data_store"),
        ("SQL database", "data_store"),
        ("Flash memory", "data_store"),
    ],
)
def test_register_kind_cells(cell: str, kind: str) -> None:
    assert parse_choice(vocabulary(), "element_kind", cell).value == kind


@pytest.mark.parametrize(
    ("ctype", "kind"),
    [
        ("aws-s3-bucket", "cloud_service"),
        ("azure-cosmos-db", "cloud_service"),
        ("gcp-bigquery", "cloud_service"),
        ("dynamodb", "cloud_service"),
        ("postgres-database", "data_store"),
        ("redis-cache", "data_store"),
    ],
)
def test_otm_component_types(ctype: str, kind: str) -> None:
    assert kind_by_rules(ctype, "otm", "component_kinds") == kind
