/**
 * What engram remembers, behind one contract ({@link dev.engram.store.Store}) that every backend
 * implements and a conformance suite checks, with the backend-neutral rules of the model:
 * concept names and hierarchy, the Hebbian update, surprise percentiles, index repair
 * (docs/architecture.md, "The Store contract").
 */
package dev.engram.store;
