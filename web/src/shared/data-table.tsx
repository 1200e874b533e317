// A table as the pages draw one: in a box that scrolls sideways when the table is wider than the
// screen, named by a caption only screen readers read (the heading above names it for the eye), with
// one header cell per column. `stack` lays each row out as a block of labelled cells on a narrow screen
// (base.css), for which the row's cells carry data-label. The rows are the caller's.
import type { ComponentChildren } from 'preact';

/** A column's header; a numeric column's header is right-aligned over its numbers. */
export type Column = string | { label: string; numeric: true };

export function DataTable(props: { caption: string; columns: readonly Column[]; stack?: boolean; card?: boolean; children: ComponentChildren }) {
  return (
    <div class={props.card ? 'table-wrap card' : 'table-wrap'}>
      <table class={props.stack ? 'table stack' : 'table'}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) =>
              typeof column === 'string' ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.label} scope="col" class="num">
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
