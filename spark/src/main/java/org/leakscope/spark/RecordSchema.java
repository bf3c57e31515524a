package org.leakscope.spark;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet columns of a record line ({@code leakscope.triage-record/1}, docs/json.md), field for field, given
 * rather than inferred: a field that is null in every record (no crash in a folder of logs) keeps its type.
 */
final class RecordSchema {
    private RecordSchema() {
    }

    private static StructField f(String name, DataType type) {
        return createStructField(name, type, true);
    }

    private static final StructType SITE = createStructType(List.of(f("kind", StringType), f("site", StringType),
            f("count", LongType), f("bytes", LongType)));

    static final StructType RECORD = createStructType(List.of(
            f("schema", StringType),
            f("file", StringType),
            f("sha256", StringType),
            f("size", LongType),
            f("kind", StringType),
            f("skipped", StringType),
            f("error", StringType),
            f("identity", createStructType(List.of(f("process", StringType), f("pid", LongType),
                    f("version", StringType), f("os", StringType), f("machine", StringType), f("time", StringType),
                    f("timeFrom", StringType)))),
            f("crash", createStructType(List.of(f("signature", StringType), f("exception", StringType),
                    f("code", StringType), f("address", StringType),
                    f("topFrames", createArrayType(StringType))))),
            f("liveSites", createArrayType(SITE)),
            f("runs", createArrayType(createStructType(List.of(f("process", StringType), f("pid", LongType),
                    f("verdict", StringType), f("start", StringType), f("leaked", createArrayType(SITE)),
                    f("limits", createMapType(StringType, LongType)))))),
            f("problems", createArrayType(StringType)),
            f("modified", LongType)));
}
