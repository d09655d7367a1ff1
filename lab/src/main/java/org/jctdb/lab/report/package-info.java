/**
 * The lab's reports: run data, failover analysis and PNG charts (java.awt).
 */
package org.jctdb.lab.report;
