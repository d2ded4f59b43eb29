/** Server-to-server federation (issue 3). */
package org.skerry.federation;
