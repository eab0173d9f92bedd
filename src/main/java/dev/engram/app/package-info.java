/**
 * The application layer: each use case (encode, bind, recall, dim, info) as a plain Java API
 * that takes a store and a typed request and returns a typed result. The command line is a
 * thin layer over it (docs/architecture.md).
 */
package dev.engram.app;
