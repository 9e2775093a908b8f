/** The direct path: HTTP calls to a node's API. */
package io.vouch.sdk.direct;
