/** The SupportDesk example consumer contract, deployed and driven by {@code vouch demo}. */
package io.vouch.chain.desk;
