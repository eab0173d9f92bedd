/**
 * The record of a store in SQL tables, one set of queries for every backend that keeps its
 * record in SQL: H2 (embedded) and PostgreSQL (server) (docs/architecture.md, "The Store contract").
 */
package dev.engram.store.sql;
