/**
 * The server store: the record in PostgreSQL, the vector indexes in SolrCloud, for a memory that
 * many processes on many machines share (docs/architecture.md, "The server store").
 */
package dev.engram.store.server;
