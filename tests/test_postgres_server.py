"""The test PostgreSQL server really runs SQL (the fixture other tests rely on)."""

import sqlalchemy as sa


def test_fresh_database_runs_sql(postgres_url):
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1, 'a')"))
        assert conn.execute(sa.text("SELECT name FROM t")).scalar_one() == "a"
        assert conn.execute(sa.text("SELECT current_setting('server_version_num')::int")).scalar_one() >= 120000
    engine.dispose()
