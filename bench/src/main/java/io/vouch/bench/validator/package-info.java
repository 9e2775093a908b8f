/**
 * What a validator's verdict costs on this machine, as a ratio to the inference it judges, in the
 * same run.
 */
package io.vouch.bench.validator;
