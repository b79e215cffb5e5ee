import type { ComponentChildren } from 'preact';

/**
 * One column: its header and how a row fills its cell (dir="auto" for names people typed, "ltr" for
 * addresses and codes); `rowHeader` makes the cell the row's header for screen readers.
 */
export type Column<T> = { header: string; cell: (row: T) => ComponentChildren; dir?: 'auto' | 'ltr'; rowHeader?: boolean };

/** A button in a row's actions cell; its accessible name is "label: what" so each row's buttons differ. */
export type RowAction = { label: string; what: string; onClick: () => void; pressed?: boolean };

/**
 * A table of rows with a caption for screen readers, column headers and, when given, an actions
 * column whose buttons are data. `below` puts more (an edit form) in the actions cell of a row.
 */
export function DataTable<T extends { id: string }>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowClass?: (row: T) => string;
  actions?: { header: string; of: (row: T) => RowAction[] };
  below?: (row: T) => ComponentChildren;
}) {
  const { actions, below } = props;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            {actions && <th scope="col">{actions.header}</th>}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id} class={props.rowClass?.(row)}>
              {props.columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" dir={c.dir}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} dir={c.dir}>
                    {c.cell(row)}
                  </td>
                ),
              )}
              {actions && (
                <td>
                  <div class="row-actions">
                    {actions.of(row).map((a) => (
                      <button key={a.label} type="button" class="link" aria-label={`${a.label}: ${a.what}`} aria-pressed={a.pressed} onClick={a.onClick}>
                        {a.label}
                      </button>
                    ))}
                  </div>
                  {below?.(row)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
