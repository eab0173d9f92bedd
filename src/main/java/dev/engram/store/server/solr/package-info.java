/**
 * The vector side of the server store: a space's vector index as a SolrCloud collection
 * ({@link dev.engram.store.server.solr.SolrVectorIndex}), reached through ZooKeeper by one
 * {@link dev.engram.store.server.solr.SolrCluster} per store. docs/server-store-solr.md says how
 * the collections, their configset and the tests are set up.
 */
package dev.engram.store.server.solr;
