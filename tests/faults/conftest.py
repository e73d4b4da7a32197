import re

import pytest

from tests.faults.cluster import Cluster, SiteServer, postgres_bin

PASSWORD = "fault-tests-editor-password"
SETUP = (
    f"PASSWORD = {PASSWORD!r}\n"
    """
from datetime import timedelta
from django.utils import timezone
from django.contrib.auth import get_user_model
from articles.models import Article, Author, Byline
get_user_model().objects.create_superuser("editor", password=PASSWORD)
author = Author.objects.create(name="Fault Tester")
for number in range(1, 4):
    article = Article.objects.create(
        headline=f"Resilience article {number}", brief="Before the fault.",
        status="published", published_at=timezone.now() - timedelta(hours=number))
    Byline.objects.create(article=article, author=author, position=1)
    print(article.pk, article.get_absolute_url())
"""
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("initdb/pg_ctl not found under /usr/lib/postgresql/*/bin: "
                    "install Debian's postgresql package to run the fault tests")  # fmt: skip
    cluster = Cluster(bin_dir)
    try:
        cluster.create()
    except Exception as error:
        cluster.destroy()
        pytest.skip(f"could not create a throwaway PostgreSQL cluster: {error}")
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="package")
def site(cluster, tmp_path_factory):
    """The site served against the throwaway cluster, migrated, with an editor and articles."""
    server = SiteServer(cluster.url, tmp_path_factory.mktemp("site"))
    server.manage("migrate", "--noinput")
    created = server.manage("shell", "-c", SETUP)
    server.articles = [
        (int(line.split()[0]), line.split()[1])
        for line in created.splitlines()
        if re.fullmatch(r"\d+ /\S+", line.strip())
    ]
    server.password = PASSWORD
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_cluster(cluster):
    """The cluster, started again after a test that stopped it, whatever happened."""
    yield cluster
    cluster.start()
