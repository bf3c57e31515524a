/** Human-readable renderings: aligned tables and sections, built from the same records the JSON uses. */
package org.leakscope.cli.text;
