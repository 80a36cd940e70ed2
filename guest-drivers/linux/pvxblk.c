// SPDX-License-Identifier: GPL-2.0
/*
 * pvxblk: /dev/pvxblk0, a blk-mq block device over pvx's PV block device 0 (docs/pvabi.md
 * "BLOCK"), the same image the emulated ATA disk shows as /dev/sda.
 *
 * Every request becomes a list of struct pvx_block_req, one entry per physically contiguous run
 * of its pages, handed to pvx in one BLOCK_RW escape: the transfer is synchronous (READ data is
 * in RAM, WRITE data in the host's file when the escape completes), so a request completes
 * inside ->queue_rq and needs neither an interrupt nor a timeout. blk-mq does the merging: the
 * queue limits below let it build requests of up to 1 MiB, the size of one BLOCK_RW entry.
 * The host keeps written data in its page cache until a FLUSH (docs/pvabi.md: durability needs
 * a FLUSH), so the disk announces a volatile write cache with FUA: REQ_OP_FLUSH becomes a FLUSH
 * entry, and a FUA write gets a FLUSH entry after its data in the same escape.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/spinlock.h>

#include "pvx_linux.h"

#define PVXBLK_NAME "pvxblk"
#define PVXBLK_DEVICE 0u                  /* PV disk 0: the ATA primary master's image */
#define PVXBLK_SECTOR 512u
#define PVXBLK_MAX_ENTRY_SECTORS 2048u    /* one BLOCK_RW entry moves at most 1 MiB */
/* The list: 256 entries (two pages), what one escape runs within its work budget. A 1 MiB
 * request of scattered 4 KiB pages (256 segments) is one list and one escape; a request with
 * more runs than that (not expected with the segment limit below) is sent in several lists. */
#define PVXBLK_LIST_ORDER 1
#define PVXBLK_LIST_ENTRIES ((PAGE_SIZE << PVXBLK_LIST_ORDER) / sizeof(struct pvx_block_req))
#define PVXBLK_MAX_SEGMENTS 256u
#define PVXBLK_QUEUE_DEPTH 64u
#define PVXBLK_MINORS 16

static unsigned long extra_sectors;
module_param(extra_sectors, ulong, 0444);
MODULE_PARM_DESC(extra_sectors,
		 "testing only: announce this many sectors past the end of the PV disk, so that I/O "
		 "there reaches pvx and fails its bounds check (BLK_STS_IOERR)");

struct pvxblk {
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	int major;
	u64 sectors;                 /* the PV disk's size, from BLOCK_INFO */
	bool read_only;
	spinlock_t lock;             /* the list page below */
	struct pvx_block_req *list;  /* PVXBLK_LIST_ENTRIES entries, physically contiguous */
	unsigned int used;
};

static struct pvxblk *pvxblk;

/* Runs the entries gathered so far in one escape (continued by pvx itself when they exceed its
 * work budget). 0, or the first failing entry's -PVX_E* status. */
static int pvxblk_submit(struct pvxblk *b, struct request *rq)
{
	unsigned long index = 0;
	unsigned int n = b->used;
	long ret;

	if (!n)
		return 0;
	b->used = 0;
	ret = pvx_list_call(PVX_CALL_BLOCK_RW, virt_to_phys(b->list), n, &index);
	if (ret == n)
		return 0;
	if (index < n && b->list[index].status < 0) {
		const struct pvx_block_req *e = &b->list[index];

		pr_err_ratelimited(PVXBLK_NAME "0: %s of sectors %llu+%u failed: pvx status %d\n",
				   e->op == PVX_BLOCK_READ ? "read" :
				   e->op == PVX_BLOCK_WRITE ? "write" : "flush",
				   (unsigned long long)e->lba, e->sectors, e->status);
		return e->status;
	}
	pr_err_ratelimited(PVXBLK_NAME "0: BLOCK_RW of %u entries failed: %ld (request at sector %llu)\n",
			   n, ret, (unsigned long long)blk_rq_pos(rq));
	return ret < 0 ? (int)ret : -PVX_EIO;
}

/* Appends `sectors` at `lba` from/to guest-physical `phys`, extending the previous entry when
 * the pages are physically contiguous with it; sends the list when the page of entries is full. */
static int pvxblk_add(struct pvxblk *b, struct request *rq, u32 op, u64 lba, u64 phys, u32 sectors)
{
	struct pvx_block_req *prev = b->used ? &b->list[b->used - 1] : NULL;
	int err;

	if (prev && prev->op == op && prev->lba + prev->sectors == lba &&
	    prev->buffer + (u64)prev->sectors * PVXBLK_SECTOR == phys &&
	    prev->sectors + sectors <= PVXBLK_MAX_ENTRY_SECTORS) {
		prev->sectors += sectors;
		return 0;
	}
	if (b->used == PVXBLK_LIST_ENTRIES) {
		err = pvxblk_submit(b, rq);
		if (err)
			return err;
	}
	b->list[b->used++] = (struct pvx_block_req){
		.op = op, .status = 0, .lba = lba, .buffer = phys, .sectors = sectors,
		.device = PVXBLK_DEVICE,
	};
	return 0;
}

/* READ or WRITE: one entry per physically contiguous run of the request's (multi-page) bvecs. */
static int pvxblk_add_data(struct pvxblk *b, struct request *rq, u32 op)
{
	struct req_iterator iter;
	struct bio_vec bv;
	u64 lba = blk_rq_pos(rq);
	int err;

	rq_for_each_bvec(bv, rq, iter) {
		u64 phys = page_to_phys(bv.bv_page) + bv.bv_offset;
		unsigned int left = bv.bv_len;

		/* The logical block size is 512 and blk-mq keeps bvecs in whole blocks. */
		if (bv.bv_len % PVXBLK_SECTOR)
			return -PVX_EINVAL;
		while (left) {
			unsigned int chunk = min(left, PVXBLK_MAX_ENTRY_SECTORS * PVXBLK_SECTOR);

			err = pvxblk_add(b, rq, op, lba, phys, chunk / PVXBLK_SECTOR);
			if (err)
				return err;
			lba += chunk / PVXBLK_SECTOR;
			phys += chunk;
			left -= chunk;
		}
	}
	return 0;
}

static int pvxblk_add_flush(struct pvxblk *b, struct request *rq)
{
	int err = 0;

	if (b->used == PVXBLK_LIST_ENTRIES)
		err = pvxblk_submit(b, rq);
	if (!err)
		b->list[b->used++] = (struct pvx_block_req){ .op = PVX_BLOCK_FLUSH, .device = PVXBLK_DEVICE };
	return err;
}

static blk_status_t pvxblk_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct pvxblk *b = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	blk_status_t status = BLK_STS_OK;
	int err;

	blk_mq_start_request(rq);
	spin_lock(&b->lock);
	b->used = 0;
	switch (req_op(rq)) {
	case REQ_OP_READ:
		err = pvxblk_add_data(b, rq, PVX_BLOCK_READ);
		break;
	case REQ_OP_WRITE:
		err = pvxblk_add_data(b, rq, PVX_BLOCK_WRITE);
		if (!err && (rq->cmd_flags & REQ_FUA))
			err = pvxblk_add_flush(b, rq);
		break;
	case REQ_OP_FLUSH:
		err = pvxblk_add_flush(b, rq);
		break;
	default:
		err = 0;
		status = BLK_STS_NOTSUPP;
		b->used = 0;
		break;
	}
	if (!err)
		err = pvxblk_submit(b, rq);
	spin_unlock(&b->lock);
	/* Any PV error (an LBA past the end: -PVX_EINVAL, a read-only disk: -PVX_EPERM, a host
	 * I/O error: -PVX_EIO) fails the whole request, as a disk's medium error would. */
	if (err)
		status = BLK_STS_IOERR;
	blk_mq_end_request(rq, status);
	return BLK_STS_OK;
}

static const struct blk_mq_ops pvxblk_mq_ops = {
	.queue_rq = pvxblk_queue_rq,
};

static const struct block_device_operations pvxblk_fops = {
	.owner = THIS_MODULE,
};

/* Whether disk 0 is read-only (pvx --disk FILE,readonly). BLOCK_RW checks an entry's LBA
 * range, then writability (-PVX_EPERM), then the buffer (-PVX_EFAULT), in that documented
 * order: a one-sector WRITE whose buffer is no RAM at all answers the question without
 * touching the disk. */
static bool pvxblk_probe_read_only(struct pvxblk *b)
{
	unsigned long index = 0;

	if (!b->sectors)
		return false;
	b->list[0] = (struct pvx_block_req){
		.op = PVX_BLOCK_WRITE, .lba = 0, .buffer = ~0ull - PAGE_SIZE + 1, .sectors = 1,
		.device = PVXBLK_DEVICE,
	};
	pvx_list_call(PVX_CALL_BLOCK_RW, virt_to_phys(b->list), 1, &index);
	return b->list[0].status == -PVX_EPERM;
}

static int pvxblk_set_up_disk(struct pvxblk *b)
{
	struct gendisk *disk;
	int err;

	b->tag_set.ops = &pvxblk_mq_ops;
	b->tag_set.nr_hw_queues = 1;
	b->tag_set.queue_depth = PVXBLK_QUEUE_DEPTH;
	b->tag_set.numa_node = NUMA_NO_NODE;
	b->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(&b->tag_set);
	if (err)
		return err;

	disk = blk_mq_alloc_disk(&b->tag_set, b);
	if (IS_ERR(disk)) {
		blk_mq_free_tag_set(&b->tag_set);
		return PTR_ERR(disk);
	}
	blk_queue_logical_block_size(disk->queue, PVXBLK_SECTOR);
	blk_queue_physical_block_size(disk->queue, PVXBLK_SECTOR);
	blk_queue_max_hw_sectors(disk->queue, PVXBLK_MAX_ENTRY_SECTORS);
	blk_queue_max_segments(disk->queue, PVXBLK_MAX_SEGMENTS);
	blk_queue_max_segment_size(disk->queue, PVXBLK_MAX_ENTRY_SECTORS * PVXBLK_SECTOR);
	blk_queue_write_cache(disk->queue, true, true);

	disk->major = b->major;
	disk->first_minor = 0;
	disk->minors = PVXBLK_MINORS;
	disk->fops = &pvxblk_fops;
	disk->private_data = b;
	snprintf(disk->disk_name, sizeof(disk->disk_name), PVXBLK_NAME "0");
	set_capacity(disk, b->sectors + extra_sectors);
	set_disk_ro(disk, b->read_only);
	b->disk = disk;

	err = add_disk(disk);
	if (err) {
		put_disk(disk);
		blk_mq_free_tag_set(&b->tag_set);
		b->disk = NULL;
	}
	return err;
}

static int __init pvxblk_init(void)
{
	struct pvxblk *b;
	long sectors;
	int err;

	err = pvx_linux_require(PVXBLK_NAME, PVX_FEAT_BLOCK);
	if (err)
		return err;
	sectors = pvx_call4(PVX_CALL_BLOCK_INFO, PVXBLK_DEVICE, 0, 0, 0);
	if (sectors < 0) {
		pr_notice(PVXBLK_NAME ": pvx has no PV disk %u (BLOCK_INFO: %ld; no --disk?): not loading\n",
			  PVXBLK_DEVICE, sectors);
		return -ENODEV;
	}

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	spin_lock_init(&b->lock);
	b->sectors = sectors;
	b->list = (struct pvx_block_req *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, PVXBLK_LIST_ORDER);
	if (!b->list) {
		err = -ENOMEM;
		goto free_b;
	}
	b->read_only = pvxblk_probe_read_only(b);

	b->major = register_blkdev(0, PVXBLK_NAME);
	if (b->major < 0) {
		err = b->major;
		goto free_list;
	}
	err = pvxblk_set_up_disk(b);
	if (err)
		goto unregister;
	pvxblk = b;
	pr_info(PVXBLK_NAME "0: PV disk %u, %llu sectors (%llu MiB)%s%s\n", PVXBLK_DEVICE,
		(unsigned long long)b->sectors, (unsigned long long)(b->sectors >> 11),
		b->read_only ? ", read-only" : "",
		extra_sectors ? " (testing: extra_sectors past the end)" : "");
	return 0;

unregister:
	unregister_blkdev(b->major, PVXBLK_NAME);
free_list:
	free_pages((unsigned long)b->list, PVXBLK_LIST_ORDER);
free_b:
	kfree(b);
	return err;
}

static void __exit pvxblk_exit(void)
{
	struct pvxblk *b = pvxblk;

	del_gendisk(b->disk);
	put_disk(b->disk);
	blk_mq_free_tag_set(&b->tag_set);
	unregister_blkdev(b->major, PVXBLK_NAME);
	free_pages((unsigned long)b->list, PVXBLK_LIST_ORDER);
	kfree(b);
}

module_init(pvxblk_init);
module_exit(pvxblk_exit);
MODULE_DESCRIPTION("pvx PV block device (blk-mq over the BLOCK_RW escape)");
MODULE_LICENSE("GPL");
