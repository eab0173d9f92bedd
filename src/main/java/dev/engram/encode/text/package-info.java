/**
 * The text encoder: a pretrained sentence encoder (all-MiniLM-L6-v2, shipped as ONNX inside a
 * Maven Central jar) run offline on DJL's OnnxRuntime engine with the HuggingFace tokenizer.
 */
package dev.engram.encode.text;
