# Offline stand-in for the official postgres image: Debian's PostgreSQL 15 with the same
# entrypoint contract lbuild relies on (POSTGRES_USER/PASSWORD/DB, data in /var/lib/postgresql/data).
ARG BASE=lbuild/offline-base:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
