/**
 * The on-disk memory: H2 holds the system of record (spaces, traces, events, concepts,
 * associations, dim reports); Lucene holds one HNSW index per space, derived and rebuildable.
 */
package dev.engram.store;
