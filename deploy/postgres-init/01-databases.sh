#!/bin/sh
# Create the two application databases and their owners on first start of the postgres volume.
set -e
psql -v ON_ERROR_STOP=1 -U postgres <<SQL
CREATE USER mormal WITH PASSWORD '${MORMAL_DB_PASSWORD}';
CREATE DATABASE mormal OWNER mormal;
CREATE USER saleor WITH PASSWORD '${SALEOR_DB_PASSWORD}';
CREATE DATABASE saleor OWNER saleor;
SQL
