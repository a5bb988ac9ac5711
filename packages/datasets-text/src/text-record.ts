/** One labelled (or unlabelled) text read from a user's file: where it came from, for error messages. */
export interface TextRecord {
  readonly text: string;
  /** The class label as written in the file; absent when no label column/field was asked for. */
  readonly label?: string;
  readonly file: string;
  /** 1-based line where the record starts (1 for whole-file records). */
  readonly line: number;
}
