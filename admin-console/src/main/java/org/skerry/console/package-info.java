/** Admin console, JSON admin API and metrics (issue 4). */
package org.skerry.console;
