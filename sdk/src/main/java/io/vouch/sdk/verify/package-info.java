/** Local verification of results, per level. */
package io.vouch.sdk.verify;
