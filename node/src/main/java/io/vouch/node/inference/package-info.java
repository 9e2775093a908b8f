/** The inference role's core: loaded models, execution and receipt signing. */
package io.vouch.node.inference;
