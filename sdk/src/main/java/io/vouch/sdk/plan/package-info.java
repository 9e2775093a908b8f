/** The planner: requirements → a verification level and a ranked list of nodes with fallbacks. */
package io.vouch.sdk.plan;
