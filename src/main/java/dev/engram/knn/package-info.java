/**
 * Nearest-neighbour search settings shared by the store's vector indexes and the intrinsic
 * dimension's approximate neighbours: one HNSW configuration, depending on nothing else of engram.
 */
package dev.engram.knn;
