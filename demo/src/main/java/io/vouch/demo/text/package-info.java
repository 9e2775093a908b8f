/**
 * Text featurization that anyone can reproduce bit for bit: the input side of text models that run
 * on Vouch (the demo support-intent classifier in {@code io.vouch.demo}).
 *
 * <h2>Hashed bag of words, version 1 ({@link io.vouch.demo.text.HashedBagOfWords})</h2>
 *
 * <p>A string becomes a float vector of {@code D} buckets ({@code D = 512} by default) in four
 * steps. A contract author, an SDK in another language or an auditor reproduces the vector from
 * this description alone; the same vector gives the same tensor hash.
 *
 * <ol>
 *   <li><b>Fold.</b> Apply Unicode NFKD normalization; delete every code point in U+0300..U+036F
 *       (combining diacritical marks, so {@code é} becomes {@code e}); delete the apostrophes
 *       U+0027 and U+2019 (so {@code don't} becomes {@code dont}); map {@code A-Z} to {@code a-z}.
 *   <li><b>Tokenize.</b> A token is a maximal run of characters in {@code [a-z0-9]}; every other
 *       character (space, punctuation, any remaining non-ASCII character) separates tokens. Tokens
 *       keep their order; repeated tokens are kept.
 *   <li><b>Features.</b> Every token (unigram) and every pair of adjacent tokens joined by one
 *       space U+0020 (bigram, e.g. {@code "where is"}). A string with n tokens has n unigrams and
 *       n-1 bigrams. Tokens never contain a space, so a bigram never equals a unigram.
 *   <li><b>Hash.</b> bucket(f) = (first 4 bytes of keccak256(UTF-8 bytes of f), read as an unsigned
 *       big-endian 32-bit integer) mod D. Bucket i of the vector is 1.0 when at least one feature
 *       falls in it, else 0.0 (binary presence: no counts, no normalization).
 * </ol>
 *
 * <p>Why these choices: keccak256 is the EVM's own hash, so a contract can recompute a bucket with
 * {@code uint32(bytes4(keccak256(bytes(f)))) % D}; the first 4 bytes of a keccak256 are exactly a
 * Solidity function selector, which gives well-known test vectors. Binary values without
 * normalization need neither floats nor square roots to reproduce and are exact in int8 after
 * quantization. Bigrams capture short phrases ("not arrived", "talk to") that a bag of single words
 * loses.
 *
 * <p>Depends on nothing but {@code io.vouch.core.crypto.Keccak}.
 */
package io.vouch.demo.text;
