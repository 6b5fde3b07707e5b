"""The night's CPU-bound stages handed to a Dask cluster: the same database as
on this machine's processes, with the work done by the cluster's workers."""

import pytest
from conftest import LoopbackSite, make_settings
from test_pipeline import DAY, NOW, serve_outlets

from clipper import pipeline, store, workers

distributed = pytest.importorskip("distributed")  # installed by `make test` (the dask extra)

COLUMNS = {
    "articles": "canonical_url, source_id, title, text, lang, published_at, extraction, "
                "mention_count",
    "mentions": "(select canonical_url from articles a where a.id = article_id), entity, "
                "text, sentence, tone",
}


def contents(db) -> dict:
    return {table: sorted(tuple(row) for row in db.execute(f"select {columns} from {table}"))
            for table, columns in COLUMNS.items()}


def night(tmp_path, site, executor=None) -> dict:
    tmp_path.mkdir()
    settings = make_settings(tmp_path, serve_outlets(site), retries=0, workers=2)
    db = store.open_db(tmp_path / "clipper.db")
    pipeline.run(db, settings, DAY, now=NOW, digest=False, executor=executor)
    return contents(db)


def prepared_here() -> int:
    return len(workers._READY)  # pools whose setup ran in this worker


def test_extraction_and_detection_on_a_dask_cluster_give_the_same_database(tmp_path):
    site = LoopbackSite()
    try:
        here = night(tmp_path / "here", site)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client, \
                distributed.get_task_stream(client) as tasks:
            there = night(tmp_path / "there", site, client.get_executor())
            set_up = client.run(prepared_here)
    finally:
        site.close()
    assert here["articles"] and here["mentions"]  # a real night: pages read, mentions found
    assert any(row[3] and "аккредитации" in row[3] for row in here["articles"])
    assert there == here
    assert len(tasks.data) >= len(here["articles"])  # each page went to the cluster
    assert any(set_up.values())  # a worker there built its own detector or tone model
